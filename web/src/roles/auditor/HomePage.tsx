import { PlaceholderPage } from '../../components/PlaceholderPage';

export default function HomePage() {
  return <PlaceholderPage title={{ zh: '审计工作台', en: 'Audit' }} />;
}
