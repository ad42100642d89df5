import { PlaceholderPage } from '../../components/PlaceholderPage';

export default function HomePage() {
  return <PlaceholderPage title={{ zh: '我的工作', en: 'My work' }} />;
}
